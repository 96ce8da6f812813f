import { ENTITY_KINDS } from '@fedele/core'
import type { AnyRoute } from '../route.ts'
import { createApiKeyRoute, listApiKeysRoute, revokeApiKeyRoute } from './api-keys/api-keys.ts'
import { loginRoute, logoutRoute, meRoute, updateMeRoute } from './auth/login.ts'
import { setupRoute, setupStatusRoute } from './auth/setup.ts'
import { eraseCustomerRoute, exportCustomerRoute } from './customers/gdpr.ts'
import { dataSummaryRoute } from './data/summary.ts'
import { customerSearchRoute } from './customers/search.ts'
import { batchUpsertRoute, upsertOneRoute } from './entities/batch-upsert.ts'
import { getEntityRoute, listEntitiesRoute } from './entities/read.ts'
import { getJobRoute } from './jobs/get-job.ts'
import { METRICS_ROUTES } from './metrics/index.ts'
import { PREDICTION_ROUTES } from './predictions/index.ts'
import { uploadImportRoute } from './imports/upload-import.ts'
import { SEGMENT_ROUTES } from './segments/index.ts'
import { getSettingsRoute, updateSettingsRoute } from './settings/settings.ts'
import { healthRoute } from './system/health.ts'
import { readyRoute } from './system/ready.ts'
import { createUserRoute, listUsersRoute } from './users/users.ts'

/** Every endpoint of the API. The server registers these and the OpenAPI document lists them. */
export const ROUTES: AnyRoute[] = [
  healthRoute,
  readyRoute,
  setupStatusRoute,
  setupRoute,
  loginRoute,
  logoutRoute,
  meRoute,
  updateMeRoute,
  getSettingsRoute,
  updateSettingsRoute,
  listUsersRoute,
  createUserRoute,
  listApiKeysRoute,
  createApiKeyRoute,
  revokeApiKeyRoute,
  getJobRoute,
  uploadImportRoute,
  exportCustomerRoute,
  eraseCustomerRoute,
  customerSearchRoute,
  dataSummaryRoute,
  ...METRICS_ROUTES,
  ...PREDICTION_ROUTES,
  ...SEGMENT_ROUTES,
  ...ENTITY_KINDS.flatMap((kind) => [
    batchUpsertRoute(kind),
    upsertOneRoute(kind),
    listEntitiesRoute(kind),
    getEntityRoute(kind),
  ]),
]
