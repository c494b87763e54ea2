// In a packaged app the plugin host's code sits in app.asar, and so does the
// @extism/extism its worker thread imports by URL. A worker's ES module
// loader is not promised asar support, so electron-builder also unpacks
// Extism (electron-builder.yml: asarUnpack) and the worker is pointed at that
// real copy. Outside a package the URL is returned as it is.

const IN_ASAR = /([\\/])app\.asar([\\/])/;

export function unpackedUrl(url: string): string {
  return url.replace(IN_ASAR, '$1app.asar.unpacked$2');
}
