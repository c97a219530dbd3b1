import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'ces:public';
export const REQUIRED_KIND = 'ces:required-kind';

/** An endpoint open without a token (health probes cannot carry one). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** An endpoint whose callers need a token that may connect as this kind (e.g. `hub` to manage links). */
export const RequiresKind = (kind: 'hub') => SetMetadata(REQUIRED_KIND, kind);
