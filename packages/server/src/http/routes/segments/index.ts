import type { AnyRoute } from '../../route.ts'
import { segmentCatalogRoute } from './catalog.ts'
import {
  createSegmentRoute,
  deleteSegmentRoute,
  getSegmentRoute,
  listSegmentsRoute,
  updateSegmentRoute,
} from './crud.ts'
import { segmentCustomersRoute, segmentHistoryRoute } from './members.ts'
import { previewSegmentRoute } from './preview.ts'
import { rfmGridRoute } from './rfm.ts'

/** The segments endpoints; fixed paths (rfm, catalog, preview) before `/:id`. */
export const SEGMENT_ROUTES: AnyRoute[] = [
  rfmGridRoute,
  segmentCatalogRoute,
  previewSegmentRoute,
  listSegmentsRoute,
  createSegmentRoute,
  getSegmentRoute,
  updateSegmentRoute,
  deleteSegmentRoute,
  segmentCustomersRoute,
  segmentHistoryRoute,
]
