//! Dependencies between services: the cycle they may form, and the order
//! in which services can be evaluated.

use super::SystemSpec;

impl SystemSpec {
    /// A dependency cycle, as `a -> b -> a`, if there is one.
    pub fn dependency_cycle(&self) -> Option<String> {
        // Depth-first search with colours, in index order: deterministic.
        #[derive(Clone, Copy, PartialEq)]
        enum Colour {
            White,
            Grey,
            Black,
        }
        fn visit(
            spec: &SystemSpec,
            s: usize,
            colour: &mut [Colour],
            stack: &mut Vec<usize>,
        ) -> Option<String> {
            colour[s] = Colour::Grey;
            stack.push(s);
            let svc = &spec.services[s];
            for &d in svc.hard_dependencies.iter().chain(&svc.soft_dependencies) {
                match colour[d] {
                    Colour::Grey => {
                        let start = stack.iter().position(|&x| x == d).unwrap_or(0);
                        let mut names: Vec<&str> = stack[start..]
                            .iter()
                            .map(|&x| spec.services[x].name.as_str())
                            .collect();
                        names.push(&spec.services[d].name);
                        return Some(names.join(" -> "));
                    }
                    Colour::White => {
                        if let Some(c) = visit(spec, d, colour, stack) {
                            return Some(c);
                        }
                    }
                    Colour::Black => {}
                }
            }
            stack.pop();
            colour[s] = Colour::Black;
            None
        }
        let mut colour = vec![Colour::White; self.services.len()];
        let mut stack = Vec::new();
        (0..self.services.len()).find_map(|s| {
            if colour[s] == Colour::White {
                visit(self, s, &mut colour, &mut stack)
            } else {
                None
            }
        })
    }

    /// The services the entry point needs, by index: the entry service
    /// and every service it depends on, hard or soft, directly or not.
    /// The headline's data and failover figures are theirs.
    pub fn entry_closure(&self) -> Vec<bool> {
        let mut inside = vec![false; self.services.len()];
        let mut todo = vec![self.entry.service];
        while let Some(s) = todo.pop() {
            if s >= inside.len() || inside[s] {
                continue;
            }
            inside[s] = true;
            let svc = &self.services[s];
            todo.extend(svc.hard_dependencies.iter().chain(&svc.soft_dependencies));
        }
        inside
    }

    /// Services in an order where every service comes after all it
    /// depends on (the spec must be free of cycles).
    pub fn dependency_order(&self) -> Vec<usize> {
        fn visit(spec: &SystemSpec, s: usize, done: &mut [bool], out: &mut Vec<usize>) {
            if done[s] {
                return;
            }
            done[s] = true;
            let svc = &spec.services[s];
            for &d in svc.hard_dependencies.iter().chain(&svc.soft_dependencies) {
                visit(spec, d, done, out);
            }
            out.push(s);
        }
        let mut done = vec![false; self.services.len()];
        let mut out = Vec::with_capacity(self.services.len());
        for s in 0..self.services.len() {
            visit(self, s, &mut done, &mut out);
        }
        out
    }
}
