import { describeRedisConformance } from './support/conformance.js';

describeRedisConformance('node-redis', 'single');
