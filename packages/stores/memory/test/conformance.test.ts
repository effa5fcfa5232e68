import { describeSessionStore } from '@fetch-session/core/testing';
import { memoryStore } from '@fetch-session/memory';

describeSessionStore({ name: 'memory', createStore: ({ now }) => memoryStore({ now }) });
