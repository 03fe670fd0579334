import Ajv from 'ajv';

/**
 * Checks an answer against what the app's own OpenAPI document says of that operation and status:
 * the JSON body against the response schema (components resolved, nullable honoured, no extra
 * properties allowed where the schema lists them), or the content type for a file.
 * Throws with the path and the schema errors.
 */
export function conformance(doc: any): (method: string, path: string, status: number, res: any) => void {
  const ajv = new Ajv({ strict: false, allErrors: true });
  // OpenAPI 3.0's `nullable: true` as JSON Schema: the type or null.
  const convert = (s: any): any => {
    if (Array.isArray(s)) return s.map(convert);
    if (!s || typeof s !== 'object') return s;
    const out: any = {};
    for (const [k, v] of Object.entries(s)) {
      if (k === '$ref') out.$ref = String(v).replace('#/components/schemas/', '#/definitions/');
      else if (k !== 'nullable' && k !== 'example' && k !== 'format') out[k] = convert(v);
    }
    if (s.properties && out.additionalProperties === undefined) out.additionalProperties = false;
    if (s.nullable) return { anyOf: [out, { type: 'null' }] };
    return out;
  };
  const definitions = convert(doc.components?.schemas ?? {});
  return (method, path, status, res) => {
    const op = doc.paths[path]?.[method.toLowerCase()];
    if (!op) throw new Error(`${method} ${path} is not in the OpenAPI document`);
    const response = op.responses?.[String(status)];
    if (!response) throw new Error(`${method} ${path}: status ${status} is not documented`);
    const content = response.content ?? {};
    const json = content['application/json'];
    if (!json) {
      const type = String(res.headers['content-type'] ?? '').split(';')[0];
      if (!Object.keys(content).includes(type)) throw new Error(`${method} ${path}: ${type} not documented`);
      return;
    }
    const validate = ajv.compile({ ...convert(json.schema), definitions });
    if (!validate(res.body))
      throw new Error(`${method} ${path} ${status} does not match its schema: ${ajv.errorsText(validate.errors)}`);
  };
}
