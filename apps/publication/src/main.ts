import 'reflect-metadata';
import { runServices } from '@jixiao/runtime';
import { PublicationModule } from './publication.module';

/** `npm run start:publication`: the publication service alone (port 3004 unless PORT is set). */
void runServices([(ctx) => PublicationModule.forRoot(ctx)], { title: 'Jixiao publication', defaultPort: 3004 });
