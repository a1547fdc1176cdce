import { createCanvas, loadImage } from '@napi-rs/canvas';

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk (the first chunk, right after the 8-byte signature). */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (!png.subarray(0, 8).equals(pngSignature)) throw new Error('not a PNG: bad signature');
  if (png.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG: IHDR is not the first chunk');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

export interface Pixels {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
  /** [r, g, b, a] at (x, y). */
  at(x: number, y: number): [number, number, number, number];
}

/** Decodes a PNG into RGBA pixels. */
export async function decodePng(png: Buffer): Promise<Pixels> {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  // A plain copy: indexing the canvas' own buffer from JS is many times slower.
  const data = new Uint8ClampedArray(ctx.getImageData(0, 0, image.width, image.height).data);
  return {
    width: image.width,
    height: image.height,
    data,
    at: (x, y) => {
      const i = (y * image.width + x) * 4;
      return [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0, data[i + 3] ?? 0];
    },
  };
}

/** How many distinct RGB colours the image holds. */
export function distinctColours(pixels: Pixels): number {
  const seen = new Set<number>();
  const { data } = pixels;
  for (let i = 0; i < data.length; i += 4) {
    seen.add(((data[i] ?? 0) << 16) | ((data[i + 1] ?? 0) << 8) | (data[i + 2] ?? 0));
  }
  return seen.size;
}

/** Pixels inside the rectangle whose every channel is at least `min` (white text on our dark themes). */
export function brightPixels(
  pixels: Pixels,
  rect: { x: number; y: number; width: number; height: number },
  min = 235,
): number {
  const { data, width } = pixels;
  let count = 0;
  for (let y = rect.y; y < rect.y + rect.height; y += 1) {
    for (let i = (y * width + rect.x) * 4, end = i + rect.width * 4; i < end; i += 4) {
      if ((data[i] ?? 0) >= min && (data[i + 1] ?? 0) >= min && (data[i + 2] ?? 0) >= min) count += 1;
    }
  }
  return count;
}

/** Pixels that differ between two images of the same size. */
export function differingPixels(a: Pixels, b: Pixels): number {
  let count = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    if (a.data[i] !== b.data[i] || a.data[i + 1] !== b.data[i + 1] || a.data[i + 2] !== b.data[i + 2])
      count += 1;
  }
  return count;
}
