import { createRouter } from '../../client-kit/router.js';

export { matchPath, useLeaveGuard } from '../../client-kit/router.js';

/** The console under /staff; each screen opens at its top. */
export const { Link, navigate, useLocation } = createRouter({ base: '/staff', scrollToTop: true });
