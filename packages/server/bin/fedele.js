#!/usr/bin/env node
// Runs the TypeScript sources directly (internal packages are consumed from source, never from a
// stale build). tsx compiles each file once and caches it.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/cli/main.ts')
await main(process.argv)
