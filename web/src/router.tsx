import { createRouter } from '../../client-kit/router.js';

export { useFocusOnNavigation, useLeaveGuard } from '../../client-kit/router.js';

/** The portal at the site's root; a navigation keeps the scroll (the week switch stays put). */
export const { Link, navigate, Redirect, useLocation } = createRouter();
