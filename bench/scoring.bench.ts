/**
 * Scoring throughput on one core: a realistic 20-indicator project form (quantitative and qualitative rows,
 * several findings) scored with the compiled rule evaluators, with and without explanations, and the same
 * forms scored with json-rules-engine run naively per evaluation (grades, tiers, checks, routing through
 * `runNaive`; everything else identical). The last output line is one JSON object with the figures.
 *
 *   npm run bench:scoring            (BENCH_SECONDS=3 by default per figure)
 *
 * Rates are per CPU-second of this process (process.cpuUsage), so other work on a shared machine does not
 * depress them; wall-clock rates are printed beside them.
 */
import type { CanonicalEvaluation, Indicator } from '@jixiao/contracts';
import { loadRuleSets, score, scoreNaive, defaultRulesDir } from '@jixiao/scoring';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const WARMUP_SECONDS = Math.min(1, SECONDS);

const FORMS = 1024;

/** Variant `variant` of the form: the numbers people wrote differ from form to form (so do the findings). */
function form(variant: number): CanonicalEvaluation {
  const v = variant;
  const pick = (prime: number, span: number) => (v * prime) % span;
  const q = (name: string, level1: string, level2: string, target: string, actual: string, weight: number, reported: number, reason?: string): Indicator => ({
    level1, level2, name, target, actual, weight, reportedScore: reported, ...(reason ? { deviationReason: reason } : {}),
  });
  const indicators: Indicator[] = [
    q('培训人次', '产出指标', '数量指标', '≥500人次', `${420 + pick(37, 160)}人次`, 5, 5),
    q('覆盖乡镇数', '产出指标', '数量指标', '=7个', '7个', 5, 5),
    q('设备采购数量', '产出指标', '数量指标', '≥20台', `${16 + pick(5, 6)}台`, 5, 4, '部分设备延期到货'),
    q('验收合格率', '产出指标', '质量指标', '≥95%', `${90 + pick(7, 10)}.${pick(11, 10)}%`, 5, 5),
    q('系统可用率', '产出指标', '质量指标', '≥99%', '≥99%', 5, 5),
    q('工作质量', '产出指标', '质量指标', '高质量完成', '达成预期指标', 5, 5),
    q('完成时间', '产出指标', '时效指标', '2023年12月31日前', '2023年12月', 5, 5),
    q('资金拨付及时率', '产出指标', '时效指标', '100%', '100%', 5, 5),
    q('项目成本', '产出指标', '成本指标', '≤120万元', `${100 + pick(13, 30)}.${pick(17, 100)}万元`, 5, 5),
    q('单位成本', '产出指标', '成本指标', '≤3万元/台', '3.2万元/台', 5, 5),
    q('带动就业人数', '效益指标', '经济效益指标', '≥30人', `${25 + pick(41, 10)}人`, 5, 5),
    q('群众知晓率', '效益指标', '社会效益指标', '≥90%', '95%以上', 5, 5),
    q('社会效益', '效益指标', '社会效益指标', '持续推动', '部分达成预期指标并具有一定效果', 5, v % 2 ? 3.5 : 2.5),
    q('环境改善', '效益指标', '生态效益指标', '有效改善', '有效', 5, 5),
    q('长效机制', '效益指标', '可持续影响指标', '长期', '长期', 5, 5),
    q('设施使用年限', '效益指标', '可持续影响指标', '≥5年', '5年', 5, 5),
    q('投诉率', '效益指标', '社会效益指标', '≤2%', `${1 + pick(3, 3)}.${pick(19, 10)}%`, 0, 0),
    q('服务对象满意度', '满意度指标', '服务对象满意度指标', '≥90%', `${84 + pick(23, 16)}%`, 5, 5),
    q('受益群众满意度', '满意度指标', '服务对象满意度指标', '≥95%', '完成', 3, 3),
    q('单位满意度', '满意度指标', '服务对象满意度指标', '/', '/', 2, 2),
  ];
  return {
    formType: 'project',
    region: 'CN',
    fiscalYear: 2023,
    projectName: `基准测试项目 ${variant}`,
    unitName: '某县人民政府办公室',
    funds: { initialBudget: 120, adjustedBudget: 118, executed: 90 + pick(29, 2800) / 100, unit: '万元', weight: 10, reportedRate: '88%', reportedScore: 9 },
    indicators,
    reported: { total: 90 + pick(31, 10), grade: '优' },
  };
}

const registry = loadRuleSets(defaultRulesDir());
const ruleSet = registry.resolveById('CN');
const forms = Array.from({ length: FORMS }, (_, i) => form(i));

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

function report(label: string, n: number, cpu: number, wall: number): number {
  const rate = n / cpu;
  console.log(
    `${label.padEnd(48)} ${Math.round(rate).toLocaleString('en-US').padStart(10)} evaluations/s per CPU-second` +
      `  (${(1e6 / rate).toFixed(2)} µs each; wall clock ${Math.round(n / wall).toLocaleString('en-US')}/s)`,
  );
  return rate;
}

let sink = 0;

function measureSync(label: string, fn: (ev: CanonicalEvaluation) => unknown): number {
  const run = (seconds: number) => {
    let n = 0;
    const cpu0 = cpuSeconds();
    const wall0 = performance.now();
    while (cpuSeconds() - cpu0 < seconds) {
      for (let k = 0; k < 256; k++) {
        const r = fn(forms[(n + k) & (FORMS - 1)]) as { computed: { total: number | null } };
        sink += r.computed.total ?? 0;
      }
      n += 256;
    }
    return { n, cpu: cpuSeconds() - cpu0, wall: (performance.now() - wall0) / 1000 };
  };
  run(WARMUP_SECONDS);
  const m = run(SECONDS);
  return report(label, m.n, m.cpu, m.wall);
}

async function measureAsync(label: string, fn: (ev: CanonicalEvaluation) => Promise<unknown>): Promise<number> {
  const run = async (seconds: number) => {
    let n = 0;
    const cpu0 = cpuSeconds();
    const wall0 = performance.now();
    while (cpuSeconds() - cpu0 < seconds) {
      const r = (await fn(forms[n & (FORMS - 1)])) as { computed: { total: number | null } };
      sink += r.computed.total ?? 0;
      n++;
    }
    return { n, cpu: cpuSeconds() - cpu0, wall: (performance.now() - wall0) / 1000 };
  };
  await run(WARMUP_SECONDS);
  const m = await run(SECONDS);
  return report(label, m.n, m.cpu, m.wall);
}

async function main(): Promise<void> {
  const sample = score(forms[0], ruleSet);
  console.log(
    `form: ${forms[0].indicators!.length} indicators, ${sample.findings.length} findings (${[...new Set(sample.findings.map((f) => f.code))].join(', ')}), rule set ${ruleSet.id} v${ruleSet.version}`,
  );
  console.log(`node ${process.version}, one thread, ${SECONDS} CPU-seconds per figure after a ${WARMUP_SECONDS}s warm-up`);
  const withExplain = process.env.BENCH_SKIP_NAIVE ? 0 : measureSync('compiled rules, with explanations', (ev) => score(ev, ruleSet));
  const noExplain = measureSync('compiled rules, without explanations', (ev) => score(ev, ruleSet, { explain: false }));
  if (process.env.BENCH_SKIP_NAIVE) return;
  const naive = await measureAsync('json-rules-engine naively, without explanations', (ev) => scoreNaive(ev, ruleSet, { explain: false }));
  const ratio = noExplain / naive;
  console.log(`speed-up (compiled without explanations / naive): ${ratio.toFixed(1)}×`);
  console.log(
    JSON.stringify({
      indicators: forms[0].indicators!.length,
      findingsPerForm: sample.findings.length,
      evaluationsPerSecond: { withExplanations: Math.round(withExplain), withoutExplanations: Math.round(noExplain), naive: Math.round(naive) },
      ratioToNaive: Math.round(ratio * 10) / 10,
      targets: { withoutExplanations: 100000, ratioToNaive: 30 },
      met: noExplain >= 100000 && ratio >= 30,
      clock: 'process CPU time',
      checksum: Math.round(sink), // keeps the results alive (no dead-code elimination)
    }),
  );
}

export { form };
if (!process.env.BENCH_NO_MAIN) void main();
