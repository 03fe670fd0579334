/** The error body of every failed request (spec §10). Extra keys carry details such as `errors`. */
export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  [detail: string]: unknown;
}

const DEFAULT_MESSAGES: Record<number, [string, string]> = {
  400: ['BAD_REQUEST', '请求有误'],
  401: ['UNAUTHORIZED', '请先登录'],
  403: ['FORBIDDEN', '无权执行此操作'],
  404: ['NOT_FOUND', '请求的资源不存在'],
  405: ['METHOD_NOT_ALLOWED', '不支持该请求方法'],
  406: ['NOT_ACCEPTABLE', '不支持请求的响应格式'],
  408: ['REQUEST_TIMEOUT', '请求超时'],
  409: ['CONFLICT', '操作与当前状态冲突'],
  413: ['PAYLOAD_TOO_LARGE', '请求内容过大'],
  415: ['UNSUPPORTED_MEDIA_TYPE', '不支持的请求内容类型'],
  422: ['UNPROCESSABLE', '请求无法处理'],
  429: ['TOO_MANY_REQUESTS', '请求过于频繁，请稍后再试'],
  500: ['INTERNAL_ERROR', '服务器内部错误，请稍后再试'],
  503: ['SERVICE_UNAVAILABLE', '服务暂时不可用，请稍后再试'],
};

export function defaultError(status: number): { code: string; message: string } {
  const [code, message] = DEFAULT_MESSAGES[status] ?? (status >= 500 ? DEFAULT_MESSAGES[500] : DEFAULT_MESSAGES[400]);
  return { code, message };
}
