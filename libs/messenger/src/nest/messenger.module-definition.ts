import { ConfigurableModuleBuilder } from '@nestjs/common';
import { MessengerOptions } from '../core/messenger-options';

export interface MessengerModuleOptions extends MessengerOptions {
  /** Connect when the module starts (default true). */
  connectOnInit?: boolean;
  /** Hold application start until the hub is open (default false: start, and connect in the background). */
  waitForConnection?: boolean;
}

export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN: MESSENGER_OPTIONS } =
  new ConfigurableModuleBuilder<MessengerModuleOptions>()
    .setClassMethodName('forRoot')
    .setExtras({ isGlobal: false }, (definition, extras) => ({
      ...definition,
      global: extras.isGlobal,
    }))
    .build();
