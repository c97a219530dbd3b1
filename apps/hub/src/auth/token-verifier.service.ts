import { Inject, Injectable } from '@nestjs/common';
import { TokenVerifier as BaseTokenVerifier } from '@ces/server-kit';
import { HUB_CONFIG, HubConfig } from '../config/hub-config';

export { AuthError } from '@ces/server-kit';

/** The hub's token verifier, set up from its configuration (see @ces/server-kit). */
@Injectable()
export class TokenVerifier extends BaseTokenVerifier {
  constructor(@Inject(HUB_CONFIG) config: HubConfig) {
    super(config.auth);
  }
}
