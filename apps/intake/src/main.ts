import 'reflect-metadata';
import { runServices } from '@jixiao/runtime';
import { IntakeModule } from './intake.module';

void runServices([(ctx) => IntakeModule.forRoot(ctx)], { title: 'Jixiao intake', defaultPort: 3001 });
