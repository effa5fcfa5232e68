import { describeRedisConformance } from './support/conformance.js';

describeRedisConformance('ioredis', 'single');
