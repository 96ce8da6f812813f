import { ERRORS } from '@fedele/core'
import { z } from 'zod'
import type { AnyRoute } from './route.ts'

/** OpenAPI 3.1, generated from the same route objects the server registers. */
export function buildOpenApi(routes: AnyRoute[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {}
  const toJson = (schema: z.ZodType, io: 'input' | 'output') =>
    z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' })

  for (const route of routes) {
    const path = route.url.replace(/:(\w+)/g, '{$1}')
    const parameters: unknown[] = []
    for (const [where, schema] of [
      ['path', route.params],
      ['query', route.query],
    ] as const) {
      if (!schema) continue
      const json = toJson(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] }
      for (const [name, s] of Object.entries(json.properties ?? {})) {
        parameters.push({
          name,
          in: where,
          required: where === 'path' || (json.required ?? []).includes(name),
          schema: s,
        })
      }
    }
    if (route.url.endsWith('/batch')) {
      parameters.push({
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        schema: { type: 'string', maxLength: 200 },
        description: 'Retries with the same key and body return the first answer and write nothing',
      })
    }
    const status = String(route.successStatus ?? 200)
    const responses: Record<string, unknown> = {
      [status]: {
        description: 'Success',
        content: { 'application/json': { schema: toJson(route.response, 'output') } },
      },
    }
    const byStatus = new Map<number, string[]>()
    for (const code of route.errors ?? []) {
      const s = ERRORS[code].status
      byStatus.set(s, [...(byStatus.get(s) ?? []), code])
    }
    for (const [s, codes] of byStatus) {
      responses[String(s)] = {
        description: codes.map((c) => `\`${c}\`: ${ERRORS[c as keyof typeof ERRORS].en}`).join(' '),
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      }
    }
    paths[path] ??= {}
    paths[path][route.method.toLowerCase()] = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: route.tags,
      security: route.access === 'public' ? [] : [{ bearer: [] }, { session: [] }],
      ...(parameters.length ? { parameters } : {}),
      ...(route.upload
        ? {
            requestBody: {
              required: true,
              content: {
                'multipart/form-data': {
                  schema: {
                    type: 'object',
                    required: ['file'],
                    properties: {
                      file: { type: 'string', format: 'binary', description: 'The file, sent last' },
                      ...((toJson(route.upload.fields, 'input') as { properties?: object }).properties ?? {}),
                    },
                  },
                },
              },
            },
          }
        : {}),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: toJson(route.body, 'input') } },
            },
          }
        : {}),
      responses,
      ...(route.access !== 'public' ? { 'x-permission': route.access.permission } : {}),
    }
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Fedele API',
      version,
      description:
        'Customer retention platform. Money is integer minor units (cents) with an ISO 4217 currency. ' +
        'Authenticate with `Authorization: Bearer fdl_…` (API key) or the dashboard session cookie ' +
        '(writes then need the `X-CSRF-Token` header).',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'API key: fdl_<prefix>_<secret>' },
        session: { type: 'apiKey', in: 'cookie', name: 'fedele_session' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string', enum: Object.keys(ERRORS) },
                message: { type: 'string' },
                details: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      path: { type: 'string' },
                      message: { type: 'string' },
                      value: {},
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    paths,
  }
}

/** A self-contained reference page (no CDN): it fetches openapi.json and renders it. */
export const API_DOCS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Fedele API reference</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1c2430;background:#f7f8fa}
header{background:#16324f;color:#fff;padding:18px 28px}header h1{margin:0;font-size:20px}
main{max-width:1100px;margin:0 auto;padding:20px}
h2{margin-top:32px;text-transform:capitalize;border-bottom:1px solid #d8dde5;padding-bottom:4px}
details{background:#fff;border:1px solid #d8dde5;border-radius:6px;margin:8px 0}
summary{padding:10px 14px;cursor:pointer;display:flex;gap:12px;align-items:baseline}
.m{font:600 12px ui-monospace,monospace;padding:2px 8px;border-radius:4px;color:#fff;min-width:52px;text-align:center}
.GET{background:#2b6cb0}.POST{background:#2f855a}.PATCH{background:#b7791f}.PUT{background:#6b46c1}.DELETE{background:#c53030}
code,pre{font:13px ui-monospace,monospace}pre{background:#f1f3f6;padding:10px;overflow:auto;border-radius:4px;max-height:420px}
.body{padding:0 14px 14px}.perm{color:#5a6778;font-size:13px}
</style></head><body><header><h1>Fedele API reference</h1><div id="v"></div></header><main id="root">Loading…</main>
<script>
fetch('/api/openapi.json').then(r=>r.json()).then(doc=>{
  const root=document.getElementById('root');root.textContent='';
  document.getElementById('v').textContent='OpenAPI '+doc.openapi+' · version '+doc.info.version;
  const p=document.createElement('p');p.textContent=doc.info.description;root.appendChild(p);
  const groups={};
  for(const [path,ops] of Object.entries(doc.paths))for(const [m,op] of Object.entries(ops)){
    const t=(op.tags&&op.tags[0])||'other';(groups[t]=groups[t]||[]).push([m.toUpperCase(),path,op]);}
  for(const [tag,list] of Object.entries(groups)){
    const h=document.createElement('h2');h.textContent=tag;root.appendChild(h);
    for(const [m,path,op] of list){
      const d=document.createElement('details');const s=document.createElement('summary');
      const b=document.createElement('span');b.className='m '+m;b.textContent=m;
      const c=document.createElement('code');c.textContent=path;
      const t=document.createElement('span');t.textContent=op.summary;
      s.append(b,c,t);d.appendChild(s);const body=document.createElement('div');body.className='body';
      if(op.description){const x=document.createElement('p');x.textContent=op.description;body.appendChild(x);}
      const perm=document.createElement('div');perm.className='perm';
      perm.textContent=op['x-permission']?'Requires: '+op['x-permission']:'Public';body.appendChild(perm);
      const add=(label,obj)=>{if(!obj)return;const l=document.createElement('h4');l.textContent=label;
        const pre=document.createElement('pre');pre.textContent=JSON.stringify(obj,null,2);body.append(l,pre);};
      add('Parameters',op.parameters);
      add('Request body',op.requestBody&&op.requestBody.content['application/json'].schema);
      for(const [st,r] of Object.entries(op.responses))add('Response '+st+' — '+r.description,r.content&&r.content['application/json'].schema);
      d.appendChild(body);root.appendChild(d);}}
}).catch(e=>{document.getElementById('root').textContent='Could not load the API description: '+e});
</script></body></html>`
