//! The Problems window: each open file's report, its problems listed
//! (a click on one shows its event) and counted, with what was not kept.

use crate::load::Report;

/// Shows the window while `open`; returns the id of an event whose problem
/// the user clicked.
pub fn problems_window(ctx: &egui::Context, open: &mut bool, reports: &[Report]) -> Option<String> {
    let mut select = None;
    egui::Window::new("Problems")
        .open(open)
        .default_width(520.0)
        .show(ctx, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                for report in reports {
                    if let Some(id) = report_ui(ui, report) {
                        select = Some(id);
                    }
                }
            });
        });
    select
}

/// One file's report; returns the id of an event the user clicked.
fn report_ui(ui: &mut egui::Ui, report: &Report) -> Option<String> {
    ui.strong(format!(
        "{} ({}): {} rows, {} events loaded, {} problems",
        report.file,
        report.format,
        report.rows,
        report.events,
        report.problem_count()
    ));
    if !report.unresolved_places.is_empty() {
        ui.label(format!(
            "Places not found: {}",
            report.unresolved_places.join(", ")
        ));
    }
    let mut clicked = None;
    for p in &report.problems {
        match &p.event_id {
            Some(id) => {
                if ui
                    .link(p.to_string())
                    .on_hover_text("Show this event")
                    .clicked()
                {
                    clicked = Some(id.clone());
                }
            }
            None => {
                ui.label(p.to_string());
            }
        }
    }
    for (kind, _) in report.totals.iter() {
        let left_out = report.left_out(kind);
        if left_out > 0 {
            ui.label(format!(
                "… and {left_out} more {kind} problems, not kept (chronomap check \
                 --all-problems lists them all)"
            ));
        }
    }
    ui.add_space(6.0);
    clicked
}
