import { describeUpstashConformance } from './support/conformance.js';

// The client's default: commands of one tick share one `/pipeline` request.
describeUpstashConformance('auto-pipelining on', { autoPipelining: true });
