import QRCode from 'qrcode';

/**
 * A QR code as an SVG document, drawn on the server so the letter prints without any script
 * or image request. Level M survives a crease or a smudge; the 2-module margin is the least a
 * phone camera reliably finds. The SVG is hidden from assistive technology: whoever renders
 * it gives the wrapper an accessible name.
 */
export async function qrCodeSvg(target: string): Promise<string> {
  const svg = await QRCode.toString(target, {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: 2,
  });
  return svg.trim().replace('<svg ', '<svg aria-hidden="true" focusable="false" ');
}
