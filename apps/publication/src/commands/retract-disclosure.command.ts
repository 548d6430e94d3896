import type { Principal } from '@jixiao/auth';

/** A reviewer of the evaluation's region withdraws its disclosure, with a reason; the page keeps it visible as 已撤回. */
export class RetractDisclosure {
  constructor(
    readonly evaluationId: string,
    readonly reason: string,
    readonly principal: Principal,
    readonly correlationId: string | null = null,
  ) {}
}
