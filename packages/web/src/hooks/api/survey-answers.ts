import { useQuery } from '@tanstack/react-query'
import { queryKeys } from '../../lib/api/query-keys.ts'
import type { ListQuery, SurveyAnswer } from '../../lib/api/types.ts'
import { listOptions } from './entities.ts'

export function useSurveyAnswers(query: ListQuery = {}, enabled = true) {
  return useQuery({
    ...listOptions<SurveyAnswer>('/api/survey-answers', queryKeys.surveyAnswers, query),
    enabled,
  })
}
