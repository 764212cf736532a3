import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";
import { Component, onWillUnmount } from "@odoo/owl";

/** The bus notification a connection sends when one of its passes starts or ends. */
export const PASS_NOTIFICATION = "economic_sync/pass";

/**
 * Keeps the connection's form up to date while a pass runs: when the pass of the record shown
 * starts or ends (a bus notification, no polling), the record is read again; at its end the
 * outcome is notified. Unsaved changes of the form are never discarded.
 */
export class EconomicPassWatcher extends Component {
    static template = "economic_sync.PassWatcher";
    static props = { ...standardWidgetProps };

    setup() {
        this.busService = useService("bus_service");
        this.notification = useService("notification");
        /** the passes whose start this form saw: their end is news whatever the form shows */
        this.started = new Set();
        this.onPass = this.onPass.bind(this);
        this.busService.subscribe(PASS_NOTIFICATION, this.onPass);
        onWillUnmount(() => this.busService.unsubscribe(PASS_NOTIFICATION, this.onPass));
    }

    async onPass(payload) {
        const record = this.props.record;
        if (!record.resId || payload.backend_id !== record.resId) {
            return;
        }
        if (payload.event === "started" && payload.pass_number >= (record.data.pass_number || 0)) {
            this.started.add(payload.pass_number);
        }
        if (this.isShown(payload)) {
            return;
        }
        if (await record.isDirty()) {
            if (payload.event === "done") {
                this.notification.add(
                    _t("Save or discard your changes to see the result of the pass."),
                    { title: _t("Pass finished"), type: "info" }
                );
            }
            return;
        }
        await record.load();
        if (payload.event === "done") {
            this.notifyOutcome(record.data.last_pass_state, record.data.last_pass_message);
        }
    }

    /**
     * Whether the form shows what the message says already: a pass older than the one shown,
     * the start of the pass shown, or the end of a pass shown finished (the bus also hands a
     * new tab the messages of the last minute).
     */
    isShown({ event, pass_number }) {
        const data = this.props.record.data;
        if (event === "done" && this.started.has(pass_number)) {
            return false;
        }
        const shown = data.pass_number || 0;
        if (pass_number !== shown) {
            return pass_number < shown;
        }
        if (event === "started") {
            return true;
        }
        const running =
            data.pass_running ||
            !data.last_pass_end ||
            (data.last_pass_start && data.last_pass_end < data.last_pass_start);
        return !running;
    }

    notifyOutcome(state, message) {
        const outcomes = {
            done: [_t("Pass done"), "success"],
            partial: [_t("Pass partly done"), "warning"],
            failed: [_t("Pass failed"), "danger"],
            skipped: [_t("Pass skipped"), "warning"],
        };
        const [title, type] = outcomes[state] || [_t("Pass finished"), "info"];
        this.notification.add(message || title, { title, type, sticky: type === "danger" });
    }
}

export const economicPassWatcher = {
    component: EconomicPassWatcher,
};

registry.category("view_widgets").add("economic_pass_watcher", economicPassWatcher);
