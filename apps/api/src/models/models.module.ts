/**
 * The loaded ONNX models (or their absence: lexical mode), shared by every domain module.
 */
import { Global, Module } from '@nestjs/common';
import { ModelsService } from './models.service';

@Global()
@Module({ providers: [ModelsService], exports: [ModelsService] })
export class ModelsModule {}
