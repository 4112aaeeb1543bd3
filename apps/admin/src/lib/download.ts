/**
 * Files the console downloads through the API client rather than a plain link: a refusal (an expired
 * session, a deleted KB, a database outage) then reaches the page as an error to show, where a link
 * left the browser's download bar saying only "Failed" or saved the error's JSON as the file.
 */
import { request } from './api';

/** Saves `blob` as `name` (the browser's own download, as a link would). */
export function saveBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The file name of a Content-Disposition header (filename*=UTF-8'' or filename=), else undefined. */
export function dispositionFileName(header: string | null): string | undefined {
  if (!header) return undefined;
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (encoded) {
    try {
      return decodeURIComponent(encoded[1].trim());
    } catch {
      // a malformed escape: fall back to the plain name
    }
  }
  return /filename="?([^";]+)"?/i.exec(header)?.[1].trim() || undefined;
}

/** GETs `path` and saves the answer under the server's file name (or `fallback`); throws a refusal. */
export async function downloadFile(path: string, fallback: string): Promise<void> {
  const res = await request('GET', path);
  saveBlob(dispositionFileName(res.headers.get('Content-Disposition')) ?? fallback, await res.blob());
}
