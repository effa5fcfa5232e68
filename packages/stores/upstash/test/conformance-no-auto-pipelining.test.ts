import { describeUpstashConformance } from './support/conformance.js';

// Every command is its own `POST /` request.
describeUpstashConformance('auto-pipelining off', { autoPipelining: false });
