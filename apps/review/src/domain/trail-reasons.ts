import { REVIEW_STATE_LABELS, type ReviewState } from './review-state';

/**
 * What the trail says for the steps the services take on their own (a correction arriving, an event delivered twice,
 * one that cannot apply): in the staff's words, as the workspace and `jixiao review history` show them.
 */
export const TRAIL_REASONS = {
  /** On the corrected version, when it arrives. */
  correctionOf: (version: number, previousVersionId: string) => `第 ${version} 版，更正 ${previousVersionId}`,
  /** On the version it corrects. */
  correctedBy: (version: number, evaluationId: string) => `已提交更正版本（第 ${version} 版）：${evaluationId}`,
  submissionAgain: '此提交已记录（重复送达，未作处理）',
  scoreBeforeSubmission: '评分先于提交送达，待收到提交后补全',
  resultAgain: (resultId: string) => `评分结果 ${resultId} 已记录（重复送达，未作处理）`,
  resultOlder: (resultId: string, scoredAt: string, heldId: string, heldAt: string) =>
    `评分结果 ${resultId}（${scoredAt}）早于已记录的 ${heldId}（${heldAt}），未采用`,
  notApplied: (state: ReviewState) => `未应用：此自评表现为“${REVIEW_STATE_LABELS[state]}”`,
} as const;

const ROUTING_LABELS = { 'auto-approve': '自动通过', 'manual-review': '人工审核' } as const;

/** A routing decision as the staff call it. */
export const routingLabel = (routing: keyof typeof ROUTING_LABELS) => ROUTING_LABELS[routing];
