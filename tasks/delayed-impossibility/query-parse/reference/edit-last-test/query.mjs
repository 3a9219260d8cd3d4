const decode = (text) => decodeURIComponent(text.replace(/\+/g, ' '));

export function parseQuery(query) {
  const result = {};
  const text = query.startsWith('?') ? query.slice(1) : query;
  for (const part of text.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = decode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : decode(part.slice(eq + 1));
    result[key] = Object.hasOwn(result, key) ? [].concat(result[key], value) : value;
  }
  return result;
}
