import { writeFileSync } from 'node:fs';
import QRCode from 'qrcode';

/** One shot of a fake camera feed: a QR code of `text` (or a blank white picture when null), held for `seconds`. */
export interface Shot {
  text: string | null;
  seconds: number;
}

/**
 * Writes a YUV4MPEG2 video (4:2:0, full-range luma) for Chromium's fake camera
 * (`--use-file-for-fake-video-capture`, which plays it in a loop): each shot is a QR code drawn
 * module by module from `qrcode`'s matrix, black on white with its quiet zone, centred in the
 * picture, as a phone camera held over a pass would see it. Returns the number of frames.
 */
export function writeQrVideo(path: string, shots: Shot[], width = 480, height = 360, fps = 5): number {
  const lumaSize = width * height;
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128); // U and V: no colour
  const frames: Buffer[] = [];
  for (const shot of shots) {
    const luma = Buffer.alloc(lumaSize, 255);
    if (shot.text !== null) {
      const { modules } = QRCode.create(shot.text, { errorCorrectionLevel: 'M' });
      const quiet = 4;
      const px = Math.floor((Math.min(width, height) * 0.9) / (modules.size + 2 * quiet));
      const side = px * modules.size;
      const left = Math.floor((width - side) / 2);
      const top = Math.floor((height - side) / 2);
      for (let r = 0; r < modules.size; r++)
        for (let c = 0; c < modules.size; c++)
          if (modules.get(r, c))
            for (let y = 0; y < px; y++)
              luma.fill(
                0,
                (top + r * px + y) * width + left + c * px,
                (top + r * px + y) * width + left + (c + 1) * px,
              );
    }
    const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
    for (let i = 0; i < Math.max(1, Math.round(shot.seconds * fps)); i++) frames.push(frame);
  }
  writeFileSync(
    path,
    Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`), ...frames]),
  );
  return frames.length;
}
