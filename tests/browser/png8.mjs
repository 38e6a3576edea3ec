// png8.mjs — writes an RGBA image as a small 8-bit palette PNG (the README
// screenshots): the 255 most frequent colours (5 bits a channel) form the
// palette, every other pixel takes the nearest of them. No image tools needed.
import { deflateSync } from 'node:zlib';

const CRC = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
function crc32(buf) {
  let c = -1;
  for (const b of buf) c = CRC[(c ^ b) & 255] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

// rgba: Uint8Array/Buffer of width*height*4. Returns the PNG file bytes.
export function png8(rgba, width, height) {
  const key = (i) => ((rgba[i] >> 3) << 10) | ((rgba[i + 1] >> 3) << 5) | (rgba[i + 2] >> 3);
  const freq = new Map();
  for (let i = 0; i < rgba.length; i += 4) { const k = key(i); freq.set(k, (freq.get(k) || 0) + 1); }
  const pal = [...freq].sort((a, b) => b[1] - a[1]).slice(0, 256).map(([k]) => k);
  const rgb = pal.map((k) => [((k >> 10) & 31) * 8 + 4, ((k >> 5) & 31) * 8 + 4, (k & 31) * 8 + 4]);
  const index = new Map(pal.map((k, i) => [k, i]));
  const nearest = (k) => {
    let hit = index.get(k);
    if (hit !== undefined) return hit;
    const r = ((k >> 10) & 31) * 8, g = ((k >> 5) & 31) * 8, b = (k & 31) * 8;
    let best = 0, bd = Infinity;
    rgb.forEach(([pr, pg, pb], i) => { const d = (pr - r) ** 2 + (pg - g) ** 2 + (pb - b) ** 2; if (d < bd) { bd = d; best = i; } });
    index.set(k, best);
    return best;
  };
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0;
    for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = nearest(key((y * width + x) * 4));
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; ihdr[9] = 3; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr),
    chunk('PLTE', Buffer.from(rgb.flat())), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}
