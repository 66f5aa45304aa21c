/**
 * The security-update wave every test, fixture and bundled config is judged against where a build must count as
 * patched, pinned like the gate's clock (`asOf`): the default (`securityBaseline` = the newest wave the pack knows)
 * moves with each Patch Tuesday row, and only the tests of that default may move with it.
 */
export const PINNED_BASELINE = "2026-09";
