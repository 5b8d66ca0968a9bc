// Text files as bytes: what a rewrite must keep (a UTF-8 byte order mark, CRLF line ends) and
// what forbids one (bytes that are not UTF-8, which decoding would turn into U+FFFD).

const BOM = '\uFEFF';

export type DecodedText =
  | { ok: true; text: string; bom: boolean; eol: '\n' | '\r\n' }
  | { ok: false; /** Offset of the first byte that is not UTF-8. */ offset: number; reason: string };

/** Decodes UTF-8 strictly. `text` is without the BOM; `eol` is the line end most lines use. */
export function decodeUtf8(bytes: Uint8Array): DecodedText {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    return { ok: false, offset, reason: `byte 0x${(bytes[offset] ?? 0).toString(16).padStart(2, '0')} at offset ${offset} is not UTF-8` };
  }
  const bom = text.startsWith(BOM);
  if (bom) text = text.slice(1);
  return { ok: true, text, bom, eol: lineEnding(text) };
}

/** Encodes text for a file decoded by decodeUtf8, putting the BOM back. */
export function encodeUtf8(text: string, bom: boolean): Buffer {
  return Buffer.from(bom ? BOM + text : text, 'utf8');
}

/** '\r\n' when more lines end with CRLF than with a bare LF. */
export function lineEnding(text: string): '\n' | '\r\n' {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return bytes.length;
}
