/** One evaluation's disclosure with every revision. */
export class GetEvaluationDisclosure {
  constructor(readonly evaluationId: string) {}
}
