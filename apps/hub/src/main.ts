import 'reflect-metadata';
import { runMain } from '@ces/server-kit';
import { startHub } from './hub.bootstrap';

runMain('Hub', startHub, (config) => `hub ${config.hubId}`);
