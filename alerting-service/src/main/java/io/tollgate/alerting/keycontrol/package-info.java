/**
 * Key controls: what alerting last decided about each key (paused or resumed), the admin
 * API that pauses and resumes keys and tenants by hand, and publishing the decisions to
 * the compacted topic every gateway follows.
 */
@NullMarked
package io.tollgate.alerting.keycontrol;

import org.jspecify.annotations.NullMarked;
