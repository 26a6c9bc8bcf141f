/* Drawing into a canvas_t (see canvas.h). */
#include "canvas.h"

#include <stdlib.h>

static void plot(canvas_t *c, int x, int y, uint32_t colour)
{
    if (x >= 0 && x < CANVAS_WIDTH && y >= 0 && y < CANVAS_HEIGHT)
        c->pixels[y * CANVAS_WIDTH + x] = colour;
}

void canvas_fill(canvas_t *c, uint32_t colour)
{
    for (int i = 0; i < CANVAS_WIDTH * CANVAS_HEIGHT; i++)
        c->pixels[i] = colour;
}

/* Bresenham's line, each point a 2x2 block. */
void canvas_line(canvas_t *c, int x0, int y0, int x1, int y1, uint32_t colour)
{
    int dx = abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
    int dy = -abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
    int error = dx + dy;
    for (;;) {
        plot(c, x0, y0, colour);
        plot(c, x0 + 1, y0, colour);
        plot(c, x0, y0 + 1, colour);
        plot(c, x0 + 1, y0 + 1, colour);
        if (x0 == x1 && y0 == y1)
            return;
        int twice = 2 * error;
        if (twice >= dy) {
            error += dy;
            x0 += sx;
        }
        if (twice <= dx) {
            error += dx;
            y0 += sy;
        }
    }
}

void canvas_disc(canvas_t *c, int cx, int cy, int radius, uint32_t colour)
{
    for (int y = -radius; y <= radius; y++)
        for (int x = -radius; x <= radius; x++)
            if (x * x + y * y <= radius * radius)
                plot(c, cx + x, cy + y, colour);
}

void canvas_ring(canvas_t *c, int cx, int cy, int radius, uint32_t colour)
{
    int inner = (radius - 1) * (radius - 1);
    for (int y = -radius; y <= radius; y++)
        for (int x = -radius; x <= radius; x++)
            if (x * x + y * y <= radius * radius && x * x + y * y > inner)
                plot(c, cx + x, cy + y, colour);
}
