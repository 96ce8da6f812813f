import { fileURLToPath } from 'node:url'

export const TEST_TMP = fileURLToPath(new URL('../../../.vitest-tmp/', import.meta.url))
export const TEMPLATE_DIR = `${TEST_TMP}template`
export const SHARED_DATA = fileURLToPath(new URL('../../../../shared/data/', import.meta.url))
