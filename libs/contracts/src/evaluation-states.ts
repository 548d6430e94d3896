/**
 * The states of an evaluation as the API names them (`GET /evaluations`' `state`), in the order of the flow, and
 * as a finance bureau's staff call them: one list for the review service's pages and the CLI.
 */
export const EVALUATION_STATES = [
  'submitted',
  'scored',
  'in_review',
  'approved',
  'returned',
  'published',
  'retracted',
] as const;
export type EvaluationState = (typeof EVALUATION_STATES)[number];

export const EVALUATION_STATE_LABELS: Record<EvaluationState, string> = {
  submitted: '已提交',
  scored: '已评分',
  in_review: '待审核',
  approved: '已通过',
  returned: '已退回',
  published: '已公开',
  retracted: '已撤回',
};
