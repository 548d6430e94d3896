import { join } from 'node:path';

export const FIXTURES = join(__dirname, '../../fixtures');

/** The four seed documents, the region each belongs to, and what the pipeline must do with them. */
export const SEEDS = {
  huoqiu: { file: join(FIXTURES, 'seeds/000_b0ba8ebbf4c4018d.txt'), region: '341522', year: 2022 },
  jinshui: { file: join(FIXTURES, 'seeds/002_0839647822e00506.txt'), region: '410105', year: 2021 },
  yanchi: { file: join(FIXTURES, 'seeds/003_935000674b579cd0.txt'), region: '640323', year: 2022 },
  lingshou: { file: join(FIXTURES, 'seeds/004_25165740aff74753.txt'), region: '130126', year: 2022 },
} as const;
