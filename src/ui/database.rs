//! File > Open database: a table's address and, when the server asks for
//! one, a password (masked, kept only for the connection: never shown,
//! logged or saved). The table opens on a thread of its own.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};

use crate::load::LoadOptions;
use crate::remote::{RemoteError, Table, TableUrl, password_from_env};

/// The dialog's own state, and a table being opened.
#[derive(Default)]
pub struct DatabaseDialog {
    /// Whether it is shown.
    pub open: bool,
    address: String,
    password: String,
    /// The last error, in words.
    error: Option<String>,
    /// Whether the last error was a refused login (the password field
    /// then shows).
    asks_password: bool,
    opening: Option<(String, Receiver<Result<Table, RemoteError>>)>,
}

impl DatabaseDialog {
    /// Starts opening `address` on a thread (the password from the
    /// environment unless one is given).
    pub fn start(&mut self, address: &str, password: Option<String>, options: &LoadOptions) {
        self.address = address.to_owned();
        self.error = None;
        let password = password.or_else(password_from_env);
        let url = match TableUrl::parse(address) {
            Ok(url) => url,
            Err(e) => {
                self.error = Some(e.to_string());
                self.open = true;
                return;
            }
        };
        let options = options.clone();
        let (send, receive) = channel();
        let spawned = std::thread::Builder::new()
            .name("chronomap-open-table".to_owned())
            .spawn(move || {
                let _ = send.send(Table::open_blocking(&url, password.as_deref(), &options));
            });
        match spawned {
            Ok(_) => self.opening = Some((TableUrl::redacted(address), receive)),
            Err(e) => self.error = Some(format!("cannot start opening the table: {e}")),
        }
    }

    /// The address being opened, while it is.
    pub fn opening(&self) -> Option<&str> {
        self.opening.as_ref().map(|(a, _)| a.as_str())
    }

    /// The table once opened; an error shows in the dialog.
    pub fn poll(&mut self) -> Option<Arc<Table>> {
        let (_, receive) = self.opening.as_ref()?;
        let answer = receive.try_recv().ok()?;
        self.opening = None;
        match answer {
            Ok(table) => {
                self.open = false;
                self.password.clear();
                Some(Arc::new(table))
            }
            Err(e) => {
                self.asks_password = e.is_auth();
                self.error = Some(e.to_string());
                self.open = true;
                None
            }
        }
    }

    /// Draws the dialog; a click on Open starts opening.
    pub fn ui(&mut self, ctx: &egui::Context, options: &LoadOptions) {
        if !self.open {
            return;
        }
        let mut open = self.open;
        let mut start = None;
        egui::Window::new("Open database")
            .open(&mut open)
            .default_width(480.0)
            .show(ctx, |ui| {
                ui.label("A ClickHouse table, explored on the server without loading it:");
                let edit = egui::TextEdit::singleline(&mut self.address)
                    .hint_text("clickhouse://[user@]host[:port]/database.table")
                    .desired_width(f32::INFINITY);
                let mut go =
                    ui.add(edit).lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if self.asks_password {
                    ui.horizontal(|ui| {
                        let label = ui.label("Password");
                        let field = egui::TextEdit::singleline(&mut self.password).password(true);
                        go |= ui.add(field).labelled_by(label.id).lost_focus()
                            && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    });
                }
                if let Some(error) = &self.error {
                    ui.colored_label(ui.visuals().error_fg_color, error);
                }
                ui.horizontal(|ui| {
                    let busy = self.opening.is_some();
                    if ui.add_enabled(!busy, egui::Button::new("Open")).clicked() || go {
                        let password = (!self.password.is_empty()).then(|| self.password.clone());
                        start = Some((self.address.trim().to_owned(), password));
                    }
                    if busy {
                        ui.spinner();
                        ui.weak("connecting\u{2026}");
                    }
                });
            });
        self.open = open;
        if let Some((address, password)) = start {
            self.start(&address, password, options);
        }
    }
}
