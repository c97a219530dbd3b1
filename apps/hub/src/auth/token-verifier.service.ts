import { Inject, Injectable } from '@nestjs/common';
import { TokenVerifier as BaseTokenVerifier } from '@ces/protocol/server';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';

export { AuthError } from '@ces/protocol/server';

/** The hub's token verifier, set up from its configuration (see @ces/protocol/server). */
@Injectable()
export class TokenVerifier extends BaseTokenVerifier {
  constructor(@Inject(HUB_CONFIG) config: HubConfig) {
    super(config.auth);
  }
}
