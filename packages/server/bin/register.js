// `node --import @fedele/server/register` (or importing this file first) lets Node load the
// TypeScript sources through ./ts-hooks.js; `bin/fedele.js` does it itself.
import { register } from 'node:module'

register('./ts-hooks.js', import.meta.url)
