/*
 * A small RGBA picture in WebAssembly memory that the page copies onto its
 * <canvas> after every call (ImageData over the same bytes): pixels are
 * 0xAABBGGRR words, which is R, G, B, A in memory on little-endian wasm.
 */
#ifndef DEMO_CANVAS_H
#define DEMO_CANVAS_H

#include <stdint.h>

enum { CANVAS_WIDTH = 320, CANVAS_HEIGHT = 200 };

typedef struct canvas {
    uint32_t pixels[CANVAS_WIDTH * CANVAS_HEIGHT];
} canvas_t;

#define CANVAS_RGB(r, g, b) (0xff000000u | (uint32_t)(b) << 16 | (uint32_t)(g) << 8 | (uint32_t)(r))

void canvas_fill(canvas_t *c, uint32_t colour);
/* A line about two pixels wide; parts outside the canvas are skipped. */
void canvas_line(canvas_t *c, int x0, int y0, int x1, int y1, uint32_t colour);
void canvas_disc(canvas_t *c, int cx, int cy, int radius, uint32_t colour);
void canvas_ring(canvas_t *c, int cx, int cy, int radius, uint32_t colour);

#endif
