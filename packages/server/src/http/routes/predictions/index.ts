import type { AnyRoute } from '../../route.ts'
import { customerPredictionsRoute } from './customer.ts'
import { refreshPredictionsRoute } from './refresh.ts'
import { predictionsSummaryRoute } from './summary.ts'

export const PREDICTION_ROUTES: AnyRoute[] = [
  refreshPredictionsRoute,
  predictionsSummaryRoute,
  customerPredictionsRoute,
]
