/// An axis-aligned XY bounding box.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Envelope {
    pub min_x: f64,
    pub min_y: f64,
    pub max_x: f64,
    pub max_y: f64,
}

impl Envelope {
    pub fn new(min_x: f64, min_y: f64, max_x: f64, max_y: f64) -> Self {
        Envelope {
            min_x,
            min_y,
            max_x,
            max_y,
        }
    }
    pub fn from_xy(x: f64, y: f64) -> Self {
        Envelope {
            min_x: x,
            min_y: y,
            max_x: x,
            max_y: y,
        }
    }
    pub fn expand_xy(&mut self, x: f64, y: f64) {
        self.min_x = self.min_x.min(x);
        self.min_y = self.min_y.min(y);
        self.max_x = self.max_x.max(x);
        self.max_y = self.max_y.max(y);
    }
    pub fn union(&self, other: &Envelope) -> Envelope {
        Envelope {
            min_x: self.min_x.min(other.min_x),
            min_y: self.min_y.min(other.min_y),
            max_x: self.max_x.max(other.max_x),
            max_y: self.max_y.max(other.max_y),
        }
    }
    pub fn intersects(&self, other: &Envelope) -> bool {
        self.min_x <= other.max_x && other.min_x <= self.max_x && self.min_y <= other.max_y && other.min_y <= self.max_y
    }
    /// Whether `other` lies inside, allowing `tolerance` of slack on every side.
    pub fn contains(&self, other: &Envelope, tolerance: f64) -> bool {
        other.min_x >= self.min_x - tolerance
            && other.min_y >= self.min_y - tolerance
            && other.max_x <= self.max_x + tolerance
            && other.max_y <= self.max_y + tolerance
    }
    pub fn width(&self) -> f64 {
        self.max_x - self.min_x
    }
    pub fn height(&self) -> f64 {
        self.max_y - self.min_y
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn union_and_intersection() {
        let a = Envelope::new(0.0, 0.0, 10.0, 10.0);
        let b = Envelope::new(5.0, -5.0, 15.0, 5.0);
        assert!(a.intersects(&b));
        assert_eq!(a.union(&b), Envelope::new(0.0, -5.0, 15.0, 10.0));
        assert!(!a.intersects(&Envelope::new(11.0, 0.0, 12.0, 1.0)));
        assert!(a.union(&b).contains(&a, 0.0));
        assert!(!a.contains(&b, 0.0));
    }
}
