#!/usr/bin/env node
// Runs the TypeScript sources directly (internal packages are consumed from source, never from a
// stale build): ./register.js installs module hooks that compile each file with esbuild.
import './register.js'

const { main } = await import('../src/cli/main.ts')
await main(process.argv)
