// The GUI section: gui.c's greenlets on a <canvas>. Clicks and keys on the
// canvas become gui_click()/gui_key() calls, which switch into the waiting
// painter greenlet; every animation frame calls gui_frame(), which switches
// into each ball. After each call the C picture is copied onto the canvas.
import { createTimeline } from './timeline.mjs';
import { el } from './view.mjs';

const $ = (id) => document.getElementById(id);

// gui.c's key codes: arrows are 1-4, Enter 13, other keys their character.
const ARROWS = { ArrowLeft: 1, ArrowUp: 2, ArrowRight: 3, ArrowDown: 4 };
const COLOURS = ['ink', 'blue', 'red', 'green'];

function keyCode(key) {
  if (key in ARROWS) return ARROWS[key];
  if (key === 'Enter') return 13;
  if (key.length === 1) return key.toLowerCase().charCodeAt(0);
  return null; // Tab, Shift...: left to the browser
}

/** Starts gui.c in module; guarded(action) reports errors. */
export function setUpGui(module, guarded) {
  const canvas = $('gui-canvas');
  const context = canvas.getContext('2d');
  const timeline = createTimeline($('gui-timeline'), { label: 'GUI', cap: 300, throttle: true });
  // Motion only for those who have not asked their system for less.
  let animating = !matchMedia('(prefers-reduced-motion: reduce)').matches;
  let scheduled = false; // one frame request at a time, however often Pause is pressed

  function draw(reply) {
    const { width, height, pixels, painter, balls } = reply;
    const bytes = new Uint8ClampedArray(module.module.HEAPU8.buffer, pixels, width * height * 4);
    context.putImageData(new ImageData(bytes, width, height), 0, 0);
    $('gui-prompt').textContent = painter.prompt;
    const facts = $('gui-facts');
    facts.replaceChildren(
      el('li', {}, `painter: ${painter.state}; events received: ${painter.events}; lines drawn: ${painter.lines}`),
      el('li', {}, 'colour: ', el('span', { class: `swatch ${COLOURS[painter.colour]}` }), ` ${COLOURS[painter.colour]}`,
        painter.start ? ` · line starts at (${painter.start.x}, ${painter.start.y})` : ''),
      el('li', {}, balls.map((b) => `${b.name}: ${b.state}, ${b.frames} frames`).join(' · ')));
    Object.assign(facts.dataset, { lines: painter.lines, events: painter.events, colour: painter.colour });
    timeline.append(reply.events);
  }

  const call = (name, ...args) => draw(JSON.parse(module.call(name, 'string', args.map(() => 'number'), args)));

  canvas.addEventListener('click', guarded((e) => {
    // From CSS pixels inside the border to the C picture's pixels.
    const box = canvas.getBoundingClientRect();
    const x = e.clientX - box.left - canvas.clientLeft;
    const y = e.clientY - box.top - canvas.clientTop;
    call('gui_click', Math.floor((x / canvas.clientWidth) * canvas.width), Math.floor((y / canvas.clientHeight) * canvas.height));
    canvas.focus();
  }));
  canvas.addEventListener('keydown', guarded((e) => {
    const code = keyCode(e.key);
    if (code === null || e.ctrlKey || e.metaKey || e.altKey) return;
    e.preventDefault(); // arrows and space would scroll the page
    call('gui_key', code);
  }));
  const pause = $('gui-pause');
  const showAnimating = () => {
    pause.textContent = animating ? 'Pause the balls' : 'Resume the balls';
    pause.setAttribute('aria-pressed', String(!animating));
  };
  pause.addEventListener('click', () => {
    animating = !animating;
    showAnimating();
    schedule();
  });
  showAnimating();
  const frame = guarded(() => {
    scheduled = false;
    if (!animating) return;
    call('gui_frame');
    schedule();
  });
  function schedule() {
    if (scheduled || !animating) return;
    scheduled = true;
    requestAnimationFrame(frame);
  }
  call('gui_start');
  schedule();
}
