import 'reflect-metadata';
import { runMain } from '@ces/server-kit';
import { startRepeater } from './repeater.bootstrap';

runMain('Repeater', startRepeater, (config) => `repeater ${config.repeaterId}`);
