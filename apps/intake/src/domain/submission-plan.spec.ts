import { describe, expect, it } from 'vitest';
import { parseEvent, SubmissionReceivedV1 } from '@jixiao/contracts';
import { planSubmission, type PlanInput } from './submission-plan';

const evaluation = { ...SubmissionReceivedV1.example.evaluation, region: '341522' };
let n = 0;
const input = (extra: Partial<PlanInput> = {}): PlanInput => ({
  evaluations: [evaluation],
  document: null,
  diagnostics: [],
  predecessor: null,
  actor: { user: 'u1', role: 'submitter' },
  now: '2024-03-01T08:00:00.000Z',
  newId: (kind) => `${kind}_${++n}`,
  ...extra,
});

describe('planSubmission', () => {
  it('makes one new submission, version 1, audit record and valid received event per evaluation', () => {
    const plan = planSubmission(input({ evaluations: [evaluation, { ...evaluation, projectName: 'B' }] }));
    expect(plan.newSubmissions).toHaveLength(2);
    expect(plan.versions.map((v) => [v.version, v.previousVersionId])).toEqual([
      [1, null],
      [1, null],
    ]);
    expect(new Set(plan.versions.map((v) => v.submissionId)).size).toBe(2);
    expect(plan.audit.map((a) => [a.action, a.fromState, a.toState])).toEqual([
      ['submission stored', null, 'submitted'],
      ['submission stored', null, 'submitted'],
    ]);
    for (const e of plan.events) expect(() => parseEvent(e.name, e.payload)).not.toThrow();
    expect(plan.events[1].payload).toMatchObject({
      projectName: 'B',
      version: 1,
      region: '341522',
      actor: { user: 'u1' },
    });
  });

  it('adds the next version to the predecessor submission, linked to it', () => {
    const plan = planSubmission(
      input({ predecessor: { evaluationId: 'ev_old', submissionId: 'sub_old', version: 2 } }),
    );
    expect(plan.newSubmissions).toEqual([]);
    expect(plan.versions[0]).toMatchObject({ submissionId: 'sub_old', version: 3, previousVersionId: 'ev_old' });
    expect(plan.audit[0]).toMatchObject({
      action: 'version added',
      entityId: plan.versions[0].evaluationId,
      reason: expect.stringContaining('ev_old'),
    });
    expect(plan.events[0].payload).toMatchObject({ submissionId: 'sub_old', version: 3, previousVersionId: 'ev_old' });
  });

  it('refuses a correction of several evaluations', () => {
    expect(() =>
      planSubmission(
        input({
          evaluations: [evaluation, evaluation],
          predecessor: { evaluationId: 'e', submissionId: 's', version: 1 },
        }),
      ),
    ).toThrow(/exactly one/);
  });

  it('keeps the form index of a document and hashes the evaluation', () => {
    const doc = { fileName: 'a.txt', mediaType: 'text/plain', sha256: `sha256:${'1'.repeat(64)}` };
    const plan = planSubmission(input({ document: doc, evaluations: [{ ...evaluation, source: { formIndex: 1 } }] }));
    expect(plan.versions[0].formIndex).toBe(1);
    expect(plan.versions[0].evaluationHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(plan.audit[0].payload).toMatchObject({ document: doc.sha256 });
  });
});
