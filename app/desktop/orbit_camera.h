#pragma once
// The camera of the 3D view: orbits a target point at a distance, pans in the view plane and
// zooms by changing the distance. World units are millimetres, Z up (as in CAD). Plain value, no
// OpenGL: view and projection matrices for the renderer, and unit-testable.

#include <QMatrix4x4>
#include <QQuaternion>
#include <QVector3D>

namespace telar::desktop {

class OrbitCamera {
public:
    OrbitCamera();

    // Looks at the box [min, max] from the current direction so that all of it is in view in a
    // viewport of this aspect ratio (width / height).
    void fit(const QVector3D& min, const QVector3D& max, float aspect = 1.0f);
    // Back to the default isometric direction (Z up, looking from +X −Y +Z), keeping the target.
    void resetOrientation();
    // Places the camera explicitly: it looks at target from distance, turned by rotation (the
    // identity looks down −Z from +Z with +Y up the screen); radius sets the clipping planes.
    void setView(const QQuaternion& rotation, const QVector3D& target, float distance, float radius);
    // Rotates by a mouse drag of (dx, dy) pixels: horizontal turns about the screen's vertical
    // axis, vertical about its horizontal axis.
    void orbit(float dx, float dy);
    // Moves the target with a mouse drag of (dx, dy) pixels in a viewport viewportHeight tall, so
    // that the point under the cursor follows it.
    void pan(float dx, float dy, int viewportHeight);
    // Moves closer (steps > 0) or away (steps < 0); one step is a wheel notch (15%).
    void zoom(float steps);

    QMatrix4x4 viewMatrix() const;
    QMatrix4x4 projectionMatrix(float aspect) const;

    const QVector3D& target() const { return m_target; }
    float distance() const { return m_distance; }
    float radius() const { return m_radius; }
    float fieldOfView() const { return m_fovY; }
    const QQuaternion& rotation() const { return m_rotation; }

private:
    QQuaternion m_rotation;
    QVector3D m_target;
    float m_distance = 500.0f;
    float m_radius = 100.0f; // of the fitted scene; sets the clipping planes
    float m_fovY = 30.0f;    // degrees
};

} // namespace telar::desktop
