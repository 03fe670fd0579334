/**
 * What a request log line holds: no bodies, no headers beyond a few, and any run of
 * digits that could be a 身份证号 or phone number masked out of the URL (e.g. ?q=139…).
 */
export function maskDigits(text: string): string {
  return text.replace(/\d{6,}[\dXx]?/g, (m) => `${m.slice(0, 3)}***`);
}

export const logSerializers = {
  req: (req: any) => ({
    id: req.id,
    method: req.method,
    url: maskDigits(String(req.url ?? '')),
    remoteAddress: req.remoteAddress,
    userAgent: req.headers?.['user-agent'],
  }),
  res: (res: any) => ({ statusCode: res.statusCode }),
};
