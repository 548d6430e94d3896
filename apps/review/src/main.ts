import 'reflect-metadata';
import { runServices } from '@jixiao/runtime';
import { ReviewModule } from './review.module';

void runServices([(ctx) => ReviewModule.forRoot(ctx)], { title: 'Jixiao review', defaultPort: 3003 });
