import 'reflect-metadata';
import { runServices } from '@jixiao/runtime';
import { ScoringModule } from './scoring.module';

void runServices([(ctx) => ScoringModule.forRoot(ctx)], { title: 'Jixiao scoring', defaultPort: 3002 });
