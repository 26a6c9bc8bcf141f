// Shows a C file of the demo (built into src/ next to the page) in a <pre>:
// the page's programs are real files, not excerpts.
const cache = new Map();

/** Fetches src/<file> once and shows it in pre; resolves when shown. */
export async function showSource(pre, file) {
  if (!cache.has(file)) {
    cache.set(file, fetch(new URL(`./src/${file}`, import.meta.url)).then((response) => {
      if (!response.ok) throw new Error(`src/${file}: HTTP ${response.status}`);
      return response.text();
    }));
  }
  const text = await cache.get(file);
  pre.textContent = text;
  pre.dataset.file = file;
}
